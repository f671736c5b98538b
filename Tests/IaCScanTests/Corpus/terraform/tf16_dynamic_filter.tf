variable "tf16_filters" {
  type = map(list(string))
  default = {
    name = ["al2023-ami-2023.*-kernel-6.*-x86_64"]
  }
}

data "aws_ami" "runner" {
  most_recent = "true"

  dynamic "filter" {
    for_each = var.tf16_filters
    content {
      name   = filter.key
      values = filter.value
    }
  }
}
