"""Staff accounts: two-factor authentication (TOTP), lock-out page, staff-session policy."""
