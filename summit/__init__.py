"""Summit: read the news with the annotations a careful editor would add."""
