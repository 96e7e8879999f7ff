from core.access import access_for_request


def member_login(request) -> dict:
    """Expose the caller's role to templates (navigation shows "My chamber" to members)."""
    access = access_for_request(request)
    return {"union_access": access}
