import Testing
@testable import IaCScan

@Suite struct RuleTests {
    func terraform(_ text: String) throws -> [IaCFinding] {
        let body = try HCLParser.parseFile(text)
        var vars = ModuleVariables()
        vars.addDeclarations(from: body)
        return HCLAMIRules.lookups(in: body, file: "t.tf", variables: vars).compactMap { $0.finding() }
    }

    @Test func awsMarketplaceAndAmazonAliasesPin() throws {
        for owners in [#"["amazon"]"#, #"["aws-marketplace"]"#, #"["self"]"#, #"["123456789012"]"#] {
            #expect(try terraform("data \"aws_ami\" \"a\" {\n most_recent = true\n owners = \(owners)\n}\n").isEmpty)
        }
    }

    @Test func emptyStringOwnerDoesNotPin() throws {
        let f = try terraform("data \"aws_ami\" \"a\" {\n most_recent = true\n owners = [\"\"]\n}\n")
        #expect(f.map(\.severity) == [.high])
    }

    @Test func mostRecentFalseByNameIsMedium() throws {
        let f = try terraform("data \"aws_ami\" \"a\" {\n most_recent = false\n name_regex = \"^x\"\n}\n")
        #expect(f.map(\.severity) == [.medium])
    }

    @Test func noNameNoMostRecentIsLow() throws {
        let f = try terraform("data \"aws_ami\" \"a\" {\n filter {\n name = \"tag:Role\"\n values = [\"web\"]\n }\n}\n")
        #expect(f.map(\.severity) == [.low])
    }

    @Test func ubuntuNamesSuggestCanonical() throws {
        let f = try terraform("data \"aws_ami\" \"a\" {\n most_recent = true\n filter {\n name = \"name\"\n values = [\"ubuntu/images/*\"]\n }\n}\n")
        #expect(f.first?.fix.contains(#"owners = ["099720109477"]"#) == true)
        #expect(f.first?.resource == "data.aws_ami.a")
    }

    @Test func tfvarsValuesOverrideDefaults() throws {
        let body = try HCLParser.parseFile("variable \"o\" {}\ndata \"aws_ami\" \"a\" {\n most_recent = true\n owners = var.o\n}\n")
        var vars = ModuleVariables()
        vars.addDeclarations(from: body)
        #expect(HCLAMIRules.lookups(in: body, file: "t", variables: vars).compactMap { $0.finding() }.map(\.severity) == [.low])
        vars.addAssignments(from: try HCLParser.parseFile("o = [\"self\"]\n"))
        #expect(HCLAMIRules.lookups(in: body, file: "t", variables: vars).compactMap { $0.finding() }.isEmpty)
    }

    @Test func shellPipelinesAndSubstitutionsEndTheCommand() {
        let text = "x=$(aws ec2 describe-images --filters Name=name,Values=a-*) ; aws ec2 run-instances --owners self\n"
        let f = ShellAMIRules.lookups(in: text, file: "s.sh", yaml: false).compactMap { $0.finding() }
        #expect(f.count == 1)
        #expect(f.first?.column == 5)
    }

    @Test func imageIdsPinTheCLI() {
        let f = ShellAMIRules.lookups(in: "aws ec2 describe-images --image-ids ami-1 --filters Name=name,Values=x\n", file: "s", yaml: false)
        #expect(f.compactMap { $0.finding() }.isEmpty)
    }

    @Test func pythonKwargsSpreadIsLowNotSilent() {
        let f = CodeAMIRules.lookups(in: "ec2.describe_images(Filters=[{'Name': 'name', 'Values': ['x']}], **extra)\n", file: "p.py", language: .python)
        #expect(f.compactMap { $0.finding() }.map(\.severity) == [.low])
    }

    @Test func sdkCallsWithoutNameFilterAreNotFlagged() {
        let f = CodeAMIRules.lookups(in: "ec2.describe_images(ImageIds=[ami])\nec2.describe_images()\n", file: "p.py", language: .python)
        #expect(f.compactMap { $0.finding() }.isEmpty)
    }

    @Test func lookAlikeHelpersAreNotPulumiLookUps() {
        let ts = CodeAMIRules.lookups(in: "const a = await getAmi(\"web\");\nfunction getAmi(n: string) { return n }\n", file: "a.ts", language: .typeScript)
        #expect(ts.isEmpty)
        let py = CodeAMIRules.lookups(in: "ami = get_ami(region)\n", file: "a.py", language: .python)
        #expect(py.isEmpty)
    }
}

@Suite struct AnsibleRuleTests {
    @Test func flowStyleOwnersPin() {
        let text = "- amazon.aws.ec2_ami_info: { owners: self, filters: { name: 'x-*' } }\n"
        #expect(AnsibleAMIRules.lookups(in: text, file: "a.yml").compactMap { $0.finding() }.isEmpty)
    }

    @Test func ownerFilterPinsAndEmptyOwnersDoesNot() {
        let pinned = "ec2_ami_info:\n  filters:\n    name: x-*\n    \"owner-alias\": amazon\n"
        #expect(AnsibleAMIRules.lookups(in: pinned, file: "a.yml").compactMap { $0.finding() }.isEmpty)
        let empty = "ec2_ami_info:\n  owners: []\n  filters:\n    name: x-*\n"
        let f = AnsibleAMIRules.lookups(in: empty, file: "a.yml").compactMap { $0.finding() }
        #expect(f.map(\.severity) == [.medium])
        #expect(f.first?.line == 1 && f.first?.column == 1)
    }

    /// IAC-AMI-009 on CloudFormation text: location of the ImageId value, the parameter named, short-form
    /// tags read rather than rejected, and files that are not templates left alone.
    @Test func cloudFormationImageIdFromStringParameter() throws {
        let yaml = """
            Parameters:
              Ami: {Type: String, Default: ami-0123456789abcdef0}
              Safe: {Type: 'AWS::EC2::Image::Id'}
            Resources:
              A:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: !Ref Ami
                  SubnetId: !ImportValue shared-subnet
              B:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: !Ref Safe
              C:
                Type: AWS::EC2::SpotFleet
                Properties:
                  SpotFleetRequestConfigData:
                    LaunchSpecifications:
                      - ImageId: {Ref: Ami}
            """
        let findings = try #require(CloudFormationAMIRules.findings(in: yaml, file: "t.yaml"))
        #expect(findings.map(\.resource) == ["Resources.A.Properties.ImageId (AWS::EC2::Instance)",
                                             "Resources.C.Properties.SpotFleetRequestConfigData.LaunchSpecifications[0].ImageId (AWS::EC2::SpotFleet)"])
        #expect(findings.first?.line == 8 && findings.first?.column == 16)
        #expect(findings.allSatisfy { $0.severity == .medium && $0.rule == "IAC-AMI-009" })
        #expect(findings.first?.message.contains("parameter Ami of Type String") == true)
        #expect(findings.first?.fix.contains("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>") == true)
        // Not a template (no Resources), not YAML at all, or an unknown tag elsewhere: no finding, no crash.
        #expect(CloudFormationAMIRules.findings(in: "ImageId: !Ref X\n", file: "x.yml") == nil)
        #expect(CloudFormationAMIRules.findings(in: "Resources: [ImageId: {\n", file: "x.yml") == nil)
        #expect(CloudFormationAMIRules.findings(in: "Resources:\n  X: !Whatever {ImageId: !Cidr [1, 2]}\n", file: "x.yml") == [])
    }
}
