"""Every metric name in one place. Labels stay bounded: route templates and outcomes only."""

HTTP_REQUESTS_TOTAL = "http_requests_total"
HTTP_REQUEST_DURATION_SECONDS = "http_request_duration_seconds"
SIGN_INS_TOTAL = "habit_wizard_sign_ins_total"
PROGRESS_CHECKPOINTS_BUILT_TOTAL = "habit_wizard_progress_checkpoints_built_total"
