data "aws_ami" "legacy" {
  most_recent         = true
  allow_unsafe_filter = true

  filter {
    name   = "name"
    values = ["legacy-*"]
  }
}
