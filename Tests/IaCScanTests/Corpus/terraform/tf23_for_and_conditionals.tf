locals {
  ids   = [for s in ["a", "b"] : upper(s) if s != ""]
  names = { for k, v in { a = 1 } : k => v... }
  pick  = length(local.ids) > 0 ? local.ids[0] : null
}

data "aws_ami" "with_expressions" {
  most_recent = length(local.ids) > 0 ? true : false
  owners      = local.pick == null ? ["amazon"] : [local.pick]
  filter {
    name   = "name"
    values = [for n in ["x", "y"] : "${n}-*"]
  }
}
