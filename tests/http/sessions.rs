//! Signing in and out, sessions, throttling, invitations and the setup link.
