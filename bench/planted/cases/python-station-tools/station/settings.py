"""Settings of the station gateway: log archive in S3."""
import os

ARCHIVE_BUCKET = "dialysis-station-logs"
AWS_REGION = "eu-central-1"
AWS_ACCESS_KEY_ID = "{{secret:aws-access-key-id}}"
AWS_SECRET_ACCESS_KEY = "{{secret:aws-secret-access-key}}"
LOG_LEVEL = os.environ.get("STATION_LOG_LEVEL", "INFO")
