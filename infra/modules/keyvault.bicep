// Key Vault with Azure RBAC authorization (no access policies) holding the bootstrap admin token.
// The function app reads it through a Key Vault reference with its user-assigned identity, which
// has Key Vault Secrets User on this vault (rbac.bicep).

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object = {}

@description('Name of the secret that holds the bootstrap admin token.')
param adminTokenSecretName string = 'pipeline-admin-token'

@description('open: every network may reach the vault (Entra ID and RBAC still required). restricted: only allowedIpRanges, the subnets in allowedSubnetIds and private endpoints.')
@allowed([
  'open'
  'restricted'
])
param networkAccess string = 'open'

@description('With networkAccess restricted: public IPv4 addresses or CIDR ranges let through (the function app\'s outbound addresses, which resolve the Key Vault reference; operators who rotate the token).')
param allowedIpRanges string[] = []

@description('With networkAccess restricted: virtual network subnet ids let through (the app\'s integration subnet, with the Microsoft.KeyVault service endpoint).')
param allowedSubnetIds string[] = []

@secure()
@description('The bootstrap admin token (Pipeline:AdminToken); at least 16 characters.')
@minLength(16)
param adminToken string

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // Once on it cannot be turned off: a deleted vault or secret stays recoverable for the retention
    // days and nobody (not even an owner) can purge it early, so the break-glass admin token cannot
    // be destroyed by one mistaken or malicious delete. The name stays taken for those days.
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: networkAccess == 'restricted' ? 'Deny' : 'Allow'
      ipRules: [
        for range in (networkAccess == 'restricted' ? allowedIpRanges : []): {
          value: range
        }
      ]
      virtualNetworkRules: [
        for subnetId in (networkAccess == 'restricted' ? allowedSubnetIds : []): {
          id: subnetId
        }
      ]
    }
  }
}

resource adminTokenSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: adminTokenSecretName
  properties: {
    value: adminToken
    contentType: 'text/plain'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
output adminTokenSecretName string = adminTokenSecret.name
@description('Versionless URI of the admin token secret: a Key Vault reference to it follows the latest version.')
output adminTokenSecretUri string = adminTokenSecret.properties.secretUri
