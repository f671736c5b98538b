data "aws_ami_ids" "nightly" {
  filter {
    name   = "name"
    values = ["nightly-build-*"]
  }
}
