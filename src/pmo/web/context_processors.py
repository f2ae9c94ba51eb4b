from pmo.core.permissions import grants_for


def navigation(request):
    """What the page frame needs: the signed-in person's grants, to show only usable links."""
    user = getattr(request, "user", None)
    return {"grants": grants_for(user) if user is not None else None}
