data "aws_ami" "ubuntu" {
  most_recent = true
  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-*-22.04-amd64-server-*"]
  }
  owners = ["099720109477"]
}

resource "aws_instance" "web" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.micro"
  metadata_options { http_tokens = "optional" }
  tags = { Name = "web-${var.env}", List = [for s in var.l : upper(s) if s != ""] }
}

provider "aws" {
  region = "us-east-1"
  allow_unsafe_filter = true
}
locals {
  x = var.a ? { k = 1 } : null
  heredoc = <<-EOT
    hello ${var.b}
  EOT
}
