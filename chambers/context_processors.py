from django.http import HttpRequest

from core.access import Access, access_for_request


def member_login(request: HttpRequest) -> dict[str, Access]:
    """Expose the caller's role to templates (navigation shows "My chamber" to members)."""
    access = access_for_request(request)
    return {"union_access": access}
