using Amazon.Runtime;
using Amazon.S3;

namespace OrleansChat.WebFront.Attachments;

/// <summary>The S3 client for the configured endpoint, bucket and keys.</summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(S3StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = options.Endpoint,
            AuthenticationRegion = options.Region,
            // Buckets as a path (http://host/bucket/key), not a subdomain: S3-compatible servers on an address or
            // localhost have no DNS per bucket.
            ForcePathStyle = true,
            // The SDK's default since 2025 adds CRC checksums to every upload and checks them on every download;
            // servers that predate them (s3rver, older MinIO) break on the trailers. Only where S3 requires one.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
