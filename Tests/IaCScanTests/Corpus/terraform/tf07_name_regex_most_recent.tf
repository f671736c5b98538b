# No name filter, but name_regex plus most_recent: still newest-by-name from any account.
data "aws_ami" "app" {
  most_recent = true
  name_regex  = "^app-server-"
}
