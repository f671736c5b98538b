data "aws_ami" "debian" {
  most_recent = true
  filter {
    name   = "owner-id"
    values = ["136693071363"]
  }
  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }
}
