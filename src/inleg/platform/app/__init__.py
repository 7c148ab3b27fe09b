"""The employee app: invitations, onboarding, an own net contribution, the explanation and the pension account."""
