// StreamIO module: streaming file, line and gzip readers shared by the scanners.
