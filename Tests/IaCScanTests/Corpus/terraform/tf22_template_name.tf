variable "tf22_prefix" {
  default = "payments"
}

data "aws_ami" "templated" {
  most_recent = true
  filter {
    name   = "name"
    values = ["${var.tf22_prefix}-base-%{if true}x86%{endif}-*"]
  }
  tags = {
    Team = "payments"
    "cost-center" = "42"
  }
}
