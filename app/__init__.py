"""The Qt desktop face of sohoa: widgets and signals only, no business logic."""
