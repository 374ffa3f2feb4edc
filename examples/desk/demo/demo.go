// Package demo makes the desk's demo data: a month of synthetic orders
// from whatif's seeded generator, played up to its last minute, so the
// desk opens on the open cases of a busy shop at that moment, and names
// for their goods.
//
//	orders, now, err := demo.Orders(demo.Options{Orders: 2000, Seed: 1})
//	// now is where the demo clock starts; every order is brought to it.
package demo

import (
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/whatif"
)

// Options say what demo to make. The zero value is 2,000 orders of seed
// 0 under policy.Default, paid in the 30 days up to 2026-12-01 00:00 UTC+8.
type Options struct {
	Orders int
	Seed   uint64
	// End is the moment the month ends and the demo starts; zero: 2026-12-01
	// 00:00 in UTC+8.
	End   time.Time
	Rules aftersale.Rules
}

// Start is the demo's default moment: the end of the month generated.
var Start = whatif.DefaultStart.AddDate(0, 1, 0)

// Orders generates the orders and plays each one's recorded inputs with an
// engine of the rules (the buyers' requests, the merchants' answers, the
// couriers and the payment system), then brings it to the end of the
// month, firing the deadlines due by then. It returns the orders and that
// moment, where the demo clock starts.
//
// An input the rules refuse is part of the record (a denied request) and
// changes nothing; any other error is returned.
func Orders(opt Options) ([]*aftersale.Order, time.Time, error) {
	if opt.Orders == 0 {
		opt.Orders = 2000
	}
	if opt.End.IsZero() {
		opt.End = Start
	}
	if opt.Rules.Policies == nil {
		opt.Rules = policy.Default()
	}
	engine, err := aftersale.New(aftersale.Config{Rules: opt.Rules, Zone: opt.End.Location()})
	if err != nil {
		return nil, time.Time{}, err
	}
	const days = 30
	gen := whatif.Generator{Orders: opt.Orders, Seed: opt.Seed, Start: opt.End.AddDate(0, 0, -days), Days: days, Rules: opt.Rules}
	orders := make([]*aftersale.Order, 0, opt.Orders)
	var playErr error
	err = gen.Each(func(rec *whatif.Record) bool {
		o := &aftersale.Order{}
		*o = rec.Order
		o.Lines = append([]aftersale.Line(nil), rec.Order.Lines...) // the record is reused
		if playErr = play(engine, o, rec.Inputs, opt.End); playErr != nil {
			return false
		}
		orders = append(orders, o)
		return true
	})
	return orders, opt.End, errors.Join(err, playErr)
}

func play(engine *aftersale.Engine, o *aftersale.Order, inputs []whatif.Input, end time.Time) error {
	for i, in := range inputs {
		var err error
		if in.Command != nil {
			_, err = engine.ApplyAt(in.At, o, *in.Command)
		} else {
			_, err = engine.AdvanceTo(in.At, o)
		}
		var refusal *aftersale.Error
		if err != nil && !(errors.As(err, &refusal) && refusal.Code == aftersale.ErrNotEligible) {
			return fmt.Errorf("demo: order %s, input %d: %w", o.ID, i, err)
		}
	}
	if _, err := engine.AdvanceTo(end, o); err != nil {
		return fmt.Errorf("demo: order %s at the end: %w", o.ID, err)
	}
	return nil
}

// goods are what the demo shop sells.
var goods = [][2]string{
	{"不锈钢电热水壶 1.7L", "Stainless kettle 1.7 L"},
	{"无线蓝牙耳机", "Wireless earbuds"},
	{"纯棉四件套 1.8m", "Cotton bedding set 1.8 m"},
	{"男士运动跑鞋 42码", "Men's running shoes, 42"},
	{"智能手环 第7代", "Fitness band, gen 7"},
	{"保温杯 500ml", "Vacuum flask 500 ml"},
	{"机械键盘 茶轴", "Mechanical keyboard, brown switches"},
	{"空气炸锅 5L", "Air fryer 5 L"},
	{"儿童羽绒服 130cm", "Kids' down jacket, 130 cm"},
	{"电动牙刷", "Electric toothbrush"},
	{"双肩电脑包", "Laptop backpack"},
	{"陶瓷餐具套装", "Ceramic tableware set"},
	{"吹风机 负离子", "Ionic hair dryer"},
	{"瑜伽垫 加厚", "Thick yoga mat"},
	{"台灯 护眼", "Eye-care desk lamp"},
	{"真丝围巾", "Silk scarf"},
}

// Title names an order's goods, the same for the same order ID: the
// demo's orders carry no product names, so the desk gives them these.
func Title(o *aftersale.Order) (zh, en string) {
	h := fnv.New32a()
	h.Write([]byte(o.ID))
	g := goods[h.Sum32()%uint32(len(goods))]
	return g[0], g[1]
}
