// Entry point for `azd provision` / `azd up`: one resource group holding the daily-report pipeline.
// Composes only local modules (infra/modules/): registry modules (br/public:...) are not used, because
// they cannot be restored where this repository is built and linted.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; part of every resource name and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer Flex Consumption (`az functionapp list-flexconsumption-locations`).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group name; empty for rg-<environmentName>.')
param resourceGroupName string = ''

@description('Object id of the deploying user or service principal (azd sets AZURE_PRINCIPAL_ID); it gets data-plane roles on storage and may rotate Key Vault secrets. Empty to assign nothing.')
param principalId string = ''

@description('Type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@secure()
@minLength(16)
@description('Bootstrap admin token (Pipeline:AdminToken), stored only in Key Vault. Set with `azd env set PIPELINE_ADMIN_TOKEN <token>`.')
param adminToken string

@description('IANA time zone of the reporting day (Pipeline:ReportingTimeZone).')
param reportingTimeZone string = 'Asia/Shanghai'

@minValue(0)
@maxValue(366)
@description('Days back a reporter may still correct a report (Pipeline:CorrectionWindowDays).')
param correctionWindowDays int = 7

@description('First day (yyyy-MM-dd) a report may be dated, the lower bound of an admin backfill (Pipeline:CampaignStart).')
param campaignStart string = '2020-01-01'

@description('Local time (HH:mm) of the report day after which a report is late (Pipeline:ReportingDeadline).')
param reportingDeadline string = '22:00'

@description('NCRONTAB schedule, in UTC, of the nightly rollup (Pipeline:RollupSchedule). 16:30 UTC is 00:30 in Asia/Shanghai.')
param rollupSchedule string = '0 30 16 * * *'

@description('The address enrolment links start with (https://host); empty: the request\'s own scheme and host')
param publicBaseUrl string = ''

@description('Days an enrolment link (QR code) works before it is used')
@minValue(1)
param enrolmentDays int = 14

@description('Seconds between the officials\' console board refreshes')
@minValue(60)
param consoleRefreshSeconds int = 60

@description('How long a rollup download link (a read-only SAS) stays valid, in seconds; at most 300.')
@minValue(1)
@maxValue(300)
param rollupLinkSeconds int = 300

@description('How many units\' state rows each instance keeps in memory (parsed, about 50 KB each at 45 days of reports); 0 turns the cache off.')
@minValue(0)
@maxValue(1000000)
param unitStateCacheSize int = 1000

@description('Memory of each Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Maximum number of instances the function app scales out to.')
param maximumInstanceCount int = 100

@minValue(0)
@description('Always-ready HTTP instances; 0 keeps the app scale-to-zero with no idle instance cost.')
param alwaysReadyHttpInstances int = 0

@description('Network access to storage and Key Vault. open (the default): reachable from any network, every call still needs Entra ID and a role; officials\' direct download links work from their browsers. restricted: only allowedIpRanges, allowedSubnetIds and private endpoints; the direct download links then fail from browsers outside them (use the files route through the app). See infra/README.md.')
@allowed([
  'open'
  'restricted'
])
param networkAccess string = 'open'

@description('With networkAccess restricted: public IPv4 addresses or CIDR ranges let through to storage and Key Vault (the function app\'s outbound addresses, operators).')
param allowedIpRanges string[] = []

@description('With networkAccess restricted: subnet ids let through to storage and Key Vault (the app\'s integration subnet, with the Microsoft.Storage and Microsoft.KeyVault service endpoints).')
param allowedSubnetIds string[] = []

@description('E-mail address notified by the alert rules (a failed timer run, a poison message); empty: the rules fire in the portal only.')
param alertEmail string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    networkAccess: networkAccess
    allowedIpRanges: allowedIpRanges
    allowedSubnetIds: allowedSubnetIds
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    adminToken: adminToken
    networkAccess: networkAccess
    allowedIpRanges: allowedIpRanges
    allowedSubnetIds: allowedSubnetIds
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    namePrefix: resourceToken
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    alertEmail: alertEmail
  }
}

@description('Reminder groups (spec section 8): [{scope, kind, times?, signed?}]; each group\'s url (and secret) goes into the Key Vault as reminder-group-N-url (reminder-group-N-secret).')
param reminderGroups array = []

@description('Local reminder cutoffs HH:mm, comma-separated.')
param reminderTimes string = '10:00,16:00,20:00'

@description('Reminders on or off.')
param remindersEnabled bool = true

module reminderSettings 'modules/reminder-settings.bicep' = {
  name: 'reminder-settings'
  scope: rg
  params: {
    keyVaultName: keyVault.outputs.name
    enabled: remindersEnabled
    times: reminderTimes
    groups: reminderGroups
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    queueNames: storage.outputs.queueNames
    tableNames: storage.outputs.tableNames
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
  }
}

module api 'modules/functionapp.bicep' = {
  name: 'api'
  scope: rg
  // The app reads storage, the deployment container and the Key Vault secret with its identity from
  // its first start, so its roles must exist before it does.
  dependsOn: [
    rbac
  ]
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    planTags: tags
    appTags: union(tags, {
      'azd-service-name': 'api'
    })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    appSettings: union(reminderSettings.outputs.settings, {
      // Read through Key Vault with the user-assigned identity (keyVaultReferenceIdentity); the URI has
      // no version, so a new secret version is picked up on restart (or within 24 hours).
      Pipeline__AdminToken: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.adminTokenSecretUri})'
      Pipeline__ReportingTimeZone: reportingTimeZone
      Pipeline__CorrectionWindowDays: string(correctionWindowDays)
      Pipeline__CampaignStart: campaignStart
      Pipeline__ReportingDeadline: reportingDeadline
      Pipeline__RollupSchedule: rollupSchedule
      Pipeline__PublicBaseUrl: publicBaseUrl
      Pipeline__EnrolmentDays: string(enrolmentDays)
      Pipeline__ConsoleRefreshSeconds: string(consoleRefreshSeconds)
      Pipeline__RollupLinkSeconds: string(rollupLinkSeconds)
      Pipeline__UnitStateCacheSize: string(unitStateCacheSize)
    })
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_FUNCTION_NAME string = api.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output PIPELINE_ADMIN_TOKEN_SECRET_NAME string = keyVault.outputs.adminTokenSecretName
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.logAnalyticsName
