// One storage account for both the Functions host (AzureWebJobsStorage: timer leases, status blobs,
// queue poison handling) and the app's data (PipelineStorage: report tables, the submissions queue,
// rollup blobs), plus the Flex Consumption deployment container. Shared-key access is off: every
// caller authenticates with Microsoft Entra ID (the app's managed identity, operators' accounts).

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Blob container that Flex Consumption deploys the app package to.')
param deploymentContainerName string

@description('Queues created up front. The queue trigger listener does not create its queue, so the batch queue must exist before the app starts.')
param queueNames string[] = [
  'report-submissions'
  'report-submissions-poison'
]

@description('Tables the app uses (Pipeline.Reporting StorageTables), created up front so the app\'s table role can be scoped to each one.')
param tableNames string[] = [
  'countyreports'
  'tokens'
  'rollups'
  'batches'
  'exemptions'
  'reminders'
  'rolluplinks'
]

@description('Blob containers the app uses (rollup files, batch payloads), created up front so each exists before the app starts.')
param dataContainerNames string[] = [
  'rollups'
  'batch-payloads'
]

@description('open: every network may reach the endpoints (Entra ID still required). restricted: only allowedIpRanges, the subnets in allowedSubnetIds and private endpoints.')
@allowed([
  'open'
  'restricted'
])
param networkAccess string = 'open'

@description('With networkAccess restricted: public IPv4 addresses or CIDR ranges let through (the function app\'s outbound addresses, operators).')
param allowedIpRanges string[] = []

@description('With networkAccess restricted: virtual network subnet ids let through (the app\'s integration subnet, with the Microsoft.Storage service endpoint).')
param allowedSubnetIds string[] = []

@description('Replication SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param skuName string = 'Standard_LRS'

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Stays Enabled when restricted: the firewall below then admits only the listed addresses and
    // subnets (private endpoints are never subject to it). Azure services on the trusted list pass.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: networkAccess == 'restricted' ? 'Deny' : 'Allow'
      ipRules: [
        for range in (networkAccess == 'restricted' ? allowedIpRanges : []): {
          value: range
          action: 'Allow'
        }
      ]
      virtualNetworkRules: [
        for subnetId in (networkAccess == 'restricted' ? allowedSubnetIds : []): {
          id: subnetId
          action: 'Allow'
        }
      ]
    }
    dnsEndpointType: 'Standard'
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: {
        enabled: true
        days: 7
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: 7
      }
    }

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    resource dataContainers 'containers' = [
      for containerName in dataContainerNames: {
        name: containerName
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queues 'queues' = [
      for queueName in queueNames: {
        name: queueName
      }
    ]
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource tables 'tables' = [
      for tableName in tableNames: {
        name: tableName
      }
    ]
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerName string = storage::blobService::deploymentContainer.name
@description('The app\'s queues, the scopes of its queue role (rbac.bicep).')
output queueNames string[] = [for (queueName, i) in queueNames: storage::queueService::queues[i].name]
@description('The app\'s tables, the scopes of its table role (rbac.bicep).')
output tableNames string[] = [for (tableName, i) in tableNames: storage::tableService::tables[i].name]
