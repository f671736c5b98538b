check "image_is_recent" {
  data "aws_ami" "scoped" {
    most_recent = true
    filter {
      name   = "name"
      values = ["web-*"]
    }
  }

  assert {
    condition     = timecmp(data.aws_ami.scoped.creation_date, "2024-01-01T00:00:00Z") > 0
    error_message = "The web image is older than 2024."
  }
}
