"""Static files that ship inside installed Python packages.

Charts use plotly.js from the ``plotly`` package itself, so pages never load a script from a
content delivery network and the script's version is the one pinned with the package. The finder
serves the file in development (whitenoise reads finders while nothing is collected) and
``collectstatic`` copies it for production like any other static file.
"""

from importlib.resources import files
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# URL path under STATIC_URL -> (package, file inside the package)
PACKAGE_FILES = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def _location(package: str, inner: str) -> Path:
    return Path(str(files(package).joinpath(inner)))


class PackageFileFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path not in PACKAGE_FILES:
            return []  # Django's finders answer "not here" with an empty list either way
        located = str(_location(*PACKAGE_FILES[path]))
        return [located] if find_all else located

    def list(self, ignore_patterns):
        for path, (package, inner) in PACKAGE_FILES.items():
            location = _location(package, inner)
            storage = FileSystemStorage(location=str(location.parent))
            storage.prefix = str(Path(path).parent)
            yield location.name, storage
