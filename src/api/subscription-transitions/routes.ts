// A subscription's upgrades (legacy offers: GET and POST …/upgrades) and transitions (new commerce: GET
// …/transitionEligibilities, POST and GET …/transitions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { partnerOf, type AuthPolicy } from '../../auth/policy.js'
import { selfOf } from '../../lib/url.js'
import { collectionOf, ErrorRef, protectedErrors, SeekCollectionSchema } from '../../schemas/common.js'
import {
  CreateTransitionSchema, EligibilityQuery, PerformUpgradeSchema, SubscriptionParams, TransitionEligibilitySchema, TransitionSchema, TransitionsQuery, UpgradeResultSchema,
  UpgradeSchema
} from './schemas.js'
import { createTransitionsService } from './service.js'

// Every page takes app-only and App+User tokens. Upgrades are subscription changes (Admin and Sales
// agents, as PATCH); the transition pages name Global admin and Admin agent.
const UPGRADES: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'sales_agent'] }
const TRANSITIONS: AuthPolicy = { appOnly: true, partnerRoles: ['admin_agent', 'global_admin'] }
const errors = { ...protectedErrors, 404: ErrorRef, 409: ErrorRef }
const tags = ['subscriptions']
const base = '/v1/customers/:customerId/subscriptions/:subscriptionId'

const subscriptionTransitions: FastifyPluginAsyncTypebox = async (app) => {
  const service = createTransitionsService(app.db)
  const now = () => app.clock.now()

  app.get(`${base}/upgrades`, {
    config: { auth: UPGRADES },
    schema: {
      operationId: 'listSubscriptionUpgrades', tags, summary: 'Get a list of upgrades for a subscription',
      description: 'Legacy offers only: the target offers the catalog declares for the subscription\'s offer, each eligible or with its upgradeErrors ' +
        '(2: not active, 6: add-ons present). New-commerce subscriptions have none (see transitionEligibilities).',
      params: SubscriptionParams,
      response: { 200: SeekCollectionSchema(UpgradeSchema, 'Upgrades'), ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId } = request.params
    return collectionOf(await service.upgrades(partnerOf(request), customerId, subscriptionId, await now()), selfOf(request))
  })

  app.post(`${base}/upgrades`, {
    config: { auth: UPGRADES },
    schema: {
      operationId: 'upgradeSubscription', tags, summary: 'Upgrade a customer\'s subscription to a target subscription',
      description: 'The body is an Upgrade from the list. The seats move to the customer\'s active subscription of the target offer (same billing ' +
        'cycle), or to one bought for it; the source is suspended when all its seats move, reduced otherwise. Ineligible: 400 with the upgradeErrors.',
      params: SubscriptionParams, body: PerformUpgradeSchema,
      response: { 200: UpgradeResultSchema, ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId } = request.params
    return service.upgrade(partnerOf(request), customerId, subscriptionId, request.body, await now())
  })

  app.get(`${base}/transitionEligibilities`, {
    config: { auth: TRANSITIONS },
    schema: {
      operationId: 'listTransitionEligibilities', tags, summary: 'Get transition eligibilities of a new-commerce subscription',
      description: 'The catalog items the subscription\'s SKU may transition to, per transition type, and the customer\'s subscriptions of each ' +
        'that could take the seats (immediate transitions of paid subscriptions only).',
      params: SubscriptionParams, querystring: EligibilityQuery,
      response: { 200: SeekCollectionSchema(TransitionEligibilitySchema, 'Transition eligibilities'), ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId } = request.params
    const items = await service.eligibilities(partnerOf(request), customerId, subscriptionId, request.query.eligibilityType ?? 'immediate', await now())
    return collectionOf(items, selfOf(request))
  })

  app.post(`${base}/transitions`, {
    config: { auth: TRANSITIONS },
    schema: {
      operationId: 'createTransition', tags, summary: 'Transition a new-commerce subscription',
      description: 'Moves quantity seats to toCatalogItemId, bought with the source\'s term (or termDuration and billingCycle) or into toSubscriptionId; ' +
        'the source is cancelled when all its seats move, reduced otherwise. Completes at once. Ineligible: 400 with the TransitionErrors.',
      params: SubscriptionParams, body: CreateTransitionSchema,
      response: { 200: TransitionSchema, ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId } = request.params
    return service.transition(partnerOf(request), customerId, subscriptionId, request.body, await now())
  })

  app.get(`${base}/transitions`, {
    config: { auth: TRANSITIONS },
    schema: {
      operationId: 'listTransitions', tags, summary: 'Get transitions of a subscription',
      description: 'The transitions from or into the subscription, oldest first; with operationId, that one.',
      params: SubscriptionParams, querystring: TransitionsQuery,
      response: { 200: SeekCollectionSchema(TransitionSchema, 'Transitions'), ...errors }
    }
  }, async (request) => {
    const { customerId, subscriptionId } = request.params
    return collectionOf(await service.history(partnerOf(request), customerId, subscriptionId, request.query.operationId, await now()), selfOf(request))
  })
}

export default subscriptionTransitions
