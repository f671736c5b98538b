import { EC2Client, DescribeImagesCommand } from "@aws-sdk/client-ec2";

export async function newestImage(client: EC2Client): Promise<string | undefined> {
  const out = await client.send(new DescribeImagesCommand({
    Filters: [{ Name: "name", Values: ["app-server-*"] }],
  }));
  const images = (out.Images ?? []).sort((a, b) => (b.CreationDate ?? "").localeCompare(a.CreationDate ?? ""));
  return images[0]?.ImageId;
}
