"""Page sources (files, folders, scanners, watch folders) and page clean-up."""
