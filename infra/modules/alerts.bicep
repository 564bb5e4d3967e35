// Log alert rules on the Application Insights component, and an optional e-mail action group.
//   - a failed run of a timer function (the nightly rollup BuildDailyRollup, the reminders timer SendReminders);
//   - a batch message moved to report-submissions-poison.
// Both are log-based (scheduled query rules). A metric alert on queue message count is not used for the
// poison queue: Azure Storage's QueueMessageCount metric is per account, not per queue, so it would also
// count the ordinary report-submissions backlog. The poison move is logged either by the app
// (BatchProcessor: "Batch message moved to the poison queue as ...") or by the Functions host when a
// message reaches maxDequeueCount ("... Moving message to queue 'report-submissions-poison'"); the query
// matches both, and the log line carries ids, so the alert needs no access to the message.

@description('Azure region of the rules.')
param location string

@description('Tags applied to the rules and the action group.')
param tags object = {}

@description('Resource id of the Application Insights component the rules query.')
param applicationInsightsId string

@description('Name prefix of the rules and the action group.')
param namePrefix string

@description('E-mail address alerted when a rule fires; empty: the rules fire (visible in the portal) but notify nobody.')
param alertEmail string = ''

@description('Timer functions whose failed run raises an alert (the [Function] names in functions/Pipeline.Functions/Functions/).')
param timerFunctionNames string[] = [
  'BuildDailyRollup'
  'SendReminders'
]

@description('Queue the batch messages that cannot be processed are moved to.')
param poisonQueueName string = 'report-submissions-poison'

var notify = !empty(alertEmail)
var actions = notify
  ? {
      actionGroups: [
        actionGroup.id
      ]
    }
  : {
      actionGroups: []
    }
var timerList = join(map(timerFunctionNames, n => '\'${n}\''), ', ')

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (notify) {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('pipeline', 12)
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource timerFailed 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'alert-${namePrefix}-timer-failed'
  location: location
  tags: tags
  properties: {
    displayName: 'A timer function run failed (${join(timerFunctionNames, ', ')})'
    description: 'An invocation of a timer function ended in failure. The nightly rollup can be rebuilt with POST /api/rollups/{date}/build; the reminders timer retries on its next minute.'
    severity: 1
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: 'requests | where operation_Name in (${timerList}) and success == false | summarize failures = count() by operation_Name'
          timeAggregation: 'Count'
          dimensions: [
            {
              name: 'operation_Name'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource poisonMessage 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'alert-${namePrefix}-poison-message'
  location: location
  tags: tags
  properties: {
    displayName: 'A batch message went to ${poisonQueueName}'
    description: 'A batch message was moved to the poison queue; its batch is not processed. Inspect and replay it through the poison endpoints (README, Batches).'
    severity: 2
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: 'traces | where message startswith "Batch message moved to the poison queue" or message has "${poisonQueueName}"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

output timerFailedAlertName string = timerFailed.name
output poisonMessageAlertName string = poisonMessage.name
