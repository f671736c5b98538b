from cdktf_cdktf_provider_aws.data_aws_ami import DataAwsAmi, DataAwsAmiFilter


def lookup(scope):
    return DataAwsAmi(scope, "ubuntu",
        most_recent=True,
        filter=[DataAwsAmiFilter(name="name", values=["ubuntu/images/*"])])
