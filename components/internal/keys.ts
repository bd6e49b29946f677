import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * A customer-managed KMS key for one data store in one region, rotated yearly. Keys are stateful: losing
 * one makes every object encrypted with it unreadable, so the 30-day deletion window is the maximum.
 */
export function encryptionKey(name: string, description: string, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    const key = new aws.kms.Key(
        name,
        { description, enableKeyRotation: true, deletionWindowInDays: 30, keyUsage: "ENCRYPT_DECRYPT" },
        opts,
    );
    new aws.kms.Alias(
        `${name}-alias`,
        { name: pulumi.interpolate`alias/${name}-${pulumi.getStack()}`, targetKeyId: key.keyId },
        { parent: opts.parent },
    );
    return key;
}
