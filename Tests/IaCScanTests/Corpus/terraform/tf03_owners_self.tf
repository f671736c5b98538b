data "aws_ami" "golden" {
  most_recent = true
  name_regex  = "^golden-base-\\d{8}$"
  owners      = ["self"]
}
