"""Platform operators' work that reaches into a school: the console, onboarding and admin
invitations. It sits above the school's domain (it calls safeguarding's services), so that
``tenants`` never has to."""
