data "aws_ami" "ci_runner" {
  most_recent = true
  owners      = []

  filter {
    name   = "name"
    values = ["ci-runner-*"]
  }
}
