"""What every area of dondoc shares: notifications, background jobs with progress, change-log reads,
navigation, htmx and pagination helpers, form widgets. The lowest app: it imports no other."""
