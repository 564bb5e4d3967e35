// Flex Consumption plan (FC1, Linux) and the function app running .NET 10 isolated. The app uses only
// its user-assigned identity: for host storage (AzureWebJobsStorage__*), for its own data
// (PipelineStorage__*), for the deployment container, for Key Vault references and for telemetry.
// Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION as app settings:
// the runtime is set in functionAppConfig instead.

@description('Function app name (also the host name prefix).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan.')
param planTags object = {}

@description('Tags applied to the function app (main.bicep adds azd-service-name).')
param appTags object = {}

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

// The endpoints come from the account itself (primaryEndpoints), so they carry the cloud's own suffix
// (environment().suffixes.storage: core.windows.net in Azure, core.chinacloudapi.cn in Azure China).
// Neither the host nor the app is given only an account name, from which both would build a
// core.windows.net address.
@description('Blob endpoint of the storage account (https://<account>.blob.<environment().suffixes.storage>/).')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account.')
param storageTableEndpoint string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Further app settings (name -> value), merged over the identity and telemetry settings.')
param appSettings object = {}

@description('.NET isolated worker version.')
param runtimeVersion string = '10.0'

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances for HTTP triggers. 0 keeps the plan scale-to-zero (no idle instance cost); any other number is billed continuously.')
@minValue(0)
param alwaysReadyHttpInstances int = 0

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: planTags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyHttpInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyHttpInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(
      {
        // Host storage, identity-based (no connection string, no account key), by service URI.
        AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
        AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
        AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
        AzureWebJobsStorage__credential: 'managedidentity'
        AzureWebJobsStorage__clientId: identityClientId
        // The app's own data (Pipeline.Reporting StorageClientFactory, connection name PipelineStorage;
        // also the queue trigger's connection, which the scale controller reads).
        PipelineStorage__blobServiceUri: storageBlobEndpoint
        PipelineStorage__queueServiceUri: storageQueueEndpoint
        PipelineStorage__tableServiceUri: storageTableEndpoint
        PipelineStorage__credential: 'managedidentity'
        PipelineStorage__clientId: identityClientId
        // Lets any DefaultAzureCredential in the worker pick the user-assigned identity.
        AZURE_CLIENT_ID: identityClientId
        // Telemetry; the host authenticates with the identity (Monitoring Metrics Publisher).
        APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
        // Local auth is off on the component (monitoring.bicep), so telemetry without this is refused.
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
      },
      appSettings
    )
  }

  // Deployments (azd deploy) use Microsoft Entra ID tokens; publishing user names and passwords are off.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output uri string = 'https://${app.properties.defaultHostName}'
output planName string = plan.name
