source "amazon-ebs" "alias" {
  region        = "us-west-2"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "alias-pinned"
  source_ami_filter {
    filters = {
      name          = "amzn2-ami-hvm-*-x86_64-gp2"
      "owner-alias" = "amazon"
    }
    most_recent = true
  }
}
