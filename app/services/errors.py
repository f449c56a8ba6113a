"""Errors raised by use cases; the UI shows them as toasts, the API as problem+json."""


class ServiceError(Exception):
    """Base for errors whose message is safe to show to the person who caused them."""

    status_code = 400
    title = "Bad request"


class InvalidInput(ServiceError):
    status_code = 422
    title = "Invalid input"


class NotSignedIn(ServiceError):
    status_code = 401
    title = "Not signed in"


class NotFound(ServiceError):
    """Also raised for another user's objects, so ids reveal nothing."""

    status_code = 404
    title = "Not found"


class Forbidden(ServiceError):
    """The person is signed in but their role does not allow this."""

    status_code = 403
    title = "Forbidden"
