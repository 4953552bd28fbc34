"""The platform's ComponentResources, one module per concern, plus the validated stack config (`config`)."""
