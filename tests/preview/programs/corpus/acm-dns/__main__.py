"""ACM certificate with DNS validation, as in Pulumi's static-website examples."""

import pulumi
import pulumi_aws as aws

domain = "www.example.org"
zone = aws.route53.get_zone(name="example.org")
certificate = aws.acm.Certificate("cert", domain_name=domain, validation_method="DNS")
option = certificate.domain_validation_options[0]
record = aws.route53.Record(
    "cert-validation",
    zone_id=zone.zone_id,
    name=option.resource_record_name,
    type=option.resource_record_type,
    records=[option.resource_record_value],
    ttl=60,
)
validation = aws.acm.CertificateValidation(
    "cert-validated", certificate_arn=certificate.arn, validation_record_fqdns=[record.fqdn]
)
pulumi.export("certificate_arn", validation.certificate_arn)
pulumi.export("zone_id", zone.zone_id)
