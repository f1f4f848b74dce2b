"""The outside world behind small interfaces: files, HTTP, feeds."""
