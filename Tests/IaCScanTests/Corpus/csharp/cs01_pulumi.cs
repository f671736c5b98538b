using Pulumi;
using Aws = Pulumi.Aws;

return await Deployment.RunAsync(() =>
{
    var ami = Aws.Ec2.GetAmi.Invoke(new Aws.Ec2.GetAmiInvokeArgs
    {
        MostRecent = true,
        Filters =
        {
            new Aws.Ec2.Inputs.GetAmiFilterInputArgs { Name = "name", Values = { @"ubuntu/images/*" } },
        },
    });
});
