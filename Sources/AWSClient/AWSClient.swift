// AWSClient module
