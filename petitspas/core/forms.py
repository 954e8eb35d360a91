def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form, above its fields: the service is the
    judge of rules that span several objects (a calendar, a series, other rows)."""
    for message in error.messages:
        form.add_error(None, message)
