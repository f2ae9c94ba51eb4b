"""Page-number pagination for every list endpoint of the API."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """``?page=N`` and ``?page_size=M``; the size is capped so one request cannot ask for every row."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
