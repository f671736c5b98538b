# No name filter at all: the newest public x86_64 HVM image from anyone.
data "aws_ami" "any" {
  most_recent = true
  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}
