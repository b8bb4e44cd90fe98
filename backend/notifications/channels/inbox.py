"""The in-app inbox is the `Notification` record itself: it is delivered the moment it is recorded, in the
same transaction as the change it tells of, and read through `GET /api/v1/notifications/`. It has no
`Delivery` row and no task; the external channels are in this package beside it."""

INBOX = "inbox"
