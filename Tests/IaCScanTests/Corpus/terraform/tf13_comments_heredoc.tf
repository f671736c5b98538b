/*
data "aws_ami" "old" {
  owners = ["self"]
}
*/
locals {
  # owners = ["self"]  <- only a comment
  user_data = <<-EOT
    #!/bin/bash
    echo 'owners = ["self"] and a } brace and a " quote'
  EOT
  banner = "value with ${upper("braces } and \"quotes\"")} inside // not a comment"
}

data "aws_ami" "tricky" { // the look-up itself
  most_recent = true # newest wins
  filter {
    name   = "name" /* block comment in the middle */
    values = ["legacy-app-${local.banner}-*"]
  }
}
