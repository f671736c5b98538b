# Exact name, no wildcard, no most_recent: an attacker can publish the same name.
data "aws_ami" "base" {
  filter {
    name   = "name"
    values = ["company-base-image-2024-06-01"]
  }
}
