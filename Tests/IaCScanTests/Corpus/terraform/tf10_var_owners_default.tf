variable "tf10_owners" {
  type    = list(string)
  default = ["amazon"]
}

data "aws_ami" "eks_node" {
  most_recent = true
  owners      = var.tf10_owners

  filter {
    name   = "name"
    values = ["amazon-eks-node-1.30-v*"]
  }
}
