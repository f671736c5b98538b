data "aws_ami" "pinned" {
  most_recent = true
  filter {
    name   = "image-id"
    values = ["ami-0abcdef1234567890"]
  }
}
