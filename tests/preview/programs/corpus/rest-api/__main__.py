"""API Gateway REST API + Lambda, as in Pulumi's aws-py-apigateway-lambda-serverless example."""

import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role(
    "handler-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
aws.iam.RolePolicyAttachment(
    "handler-logs",
    role=role.name,
    policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
)
handler = aws.lambda_.Function(
    "handler",
    runtime="python3.12",
    handler="index.handler",
    role=role.arn,
    code=pulumi.AssetArchive(
        {"index.py": pulumi.StringAsset("def handler(e, c):\n    return {'statusCode': 200}\n")}
    ),
)
api = aws.apigateway.RestApi("api", description="hello API")
resource = aws.apigateway.Resource(
    "hello", rest_api=api.id, parent_id=api.root_resource_id, path_part="hello"
)
method = aws.apigateway.Method(
    "hello-get", rest_api=api.id, resource_id=resource.id, http_method="GET", authorization="NONE"
)
integration = aws.apigateway.Integration(
    "hello-lambda",
    rest_api=api.id,
    resource_id=resource.id,
    http_method=method.http_method,
    integration_http_method="POST",
    type="AWS_PROXY",
    uri=handler.invoke_arn,
)
deployment = aws.apigateway.Deployment(
    "deployment", rest_api=api.id, opts=pulumi.ResourceOptions(depends_on=[integration])
)
stage = aws.apigateway.Stage("prod", rest_api=api.id, deployment=deployment.id, stage_name="prod")
aws.lambda_.Permission(
    "api-invoke",
    action="lambda:InvokeFunction",
    function=handler.name,
    principal="apigateway.amazonaws.com",
    source_arn=pulumi.Output.concat(stage.execution_arn, "/*/*"),
)
pulumi.export("url", stage.invoke_url.apply(lambda url: url + "/hello"))
pulumi.export("deployment_created", deployment.created_date)
