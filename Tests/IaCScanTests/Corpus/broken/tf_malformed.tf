data "aws_ami" "broken" {
  most_recent = true
  filter {
    name   = "name"
    values = ["unclosed-*
  }
}
