data "amazon-ami" "base" {
  filters = {
    name                = "debian-12-amd64-*"
    virtualization-type = "hvm"
  }
  most_recent = true
  region      = "eu-west-1"
}

source "amazon-ebs" "from_data" {
  source_ami    = data.amazon-ami.base.id
  region        = "eu-west-1"
  instance_type = "t3.micro"
  ssh_username  = "admin"
  ami_name      = "from-data"
}
